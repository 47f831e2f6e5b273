"""What 信访's demo data and bench are made of: the county's petitioners (names, valid ID numbers, mobiles,
addresses), their requests by category with the facts they give, where the problems are, which unit answers for
each kind (谁主管、谁负责), and how a request is told again by someone who comes back (重复信访).

Weighted as a county office sees them: 商品房两证办理 and 复员退伍军人就业 are the hot issues, 城关镇 (the county
seat, with its new estates) the busiest place. Shared by app.demo.petitions (through the services) and
bench.petitions_data (bulk rows), so both tell the same county's story.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from app.core.ids import id_check_digit
from app.core.petitions.terms import LEADER_RECEPTION
from app.demo.office import TOWNSHIPS, random_mobile, random_person

# The county's area codes (the 6 leading digits of an ID number): its own, and two neighbours' for the few who
# were born elsewhere.
LEADER_RECEPTION_DETAIL = LEADER_RECEPTION
AREA_CODES: tuple[str, ...] = ("430725", "430725", "430725", "430725", "430702", "430721")
HOT_CATEGORIES: tuple[str, ...] = ("商品房两证办理", "复员退伍军人就业")
# (category, weight): the hot issues first.
CATEGORY_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("商品房两证办理", 18), ("复员退伍军人就业", 14), ("征地拆迁", 10), ("劳动和社会保障", 10), ("城乡建设", 9),
    ("农村农业", 8), ("自然资源", 5), ("教育", 6), ("卫生健康", 4), ("交通运输", 4), ("生态环境", 4), ("民政", 4),
    ("市场监管", 2), ("政法", 3), ("其他", 2),
)
# 信访方式 and its way in, with the share of cases: 领导大接访 only on Mondays (the planner moves such a visit there).
CHANNEL_WEIGHTS: tuple[tuple[str, str, int], ...] = (
    ("来信", "", 20), ("来访", "", 22), ("来访", "领导大接访", 6), ("来电", "", 6), ("来电", "24365热线", 14),
    ("网上信访", "", 12), ("网上信访", "县长信箱", 10), ("网上信访", "网上咨询", 6), ("传真", "", 2),
)
ESTATES: tuple[str, ...] = ("幸福小区", "锦绣华庭", "滨江花园", "阳光新城", "御景湾", "金色家园", "翰林苑", "青山府")
VILLAGES: tuple[str, ...] = ("桃花村", "柏树村", "新民村", "塘湾村", "高桥村", "石门村", "杉木村", "红星村", "黄泥村")
COMPANIES: tuple[str, ...] = ("青山建工集团", "恒达置业公司", "宏远矿业公司", "青山县鑫源建材厂", "华兴纺织公司",
                              "顺发物流公司", "青山县永安食品厂")
PROJECTS: tuple[str, ...] = ("城东新区道路", "高铁站片区棚户区改造", "青山大道拓宽", "工业园区二期", "滨江防洪堤")
ROADS: tuple[str, ...] = ("人民路", "解放路", "青山大道", "建设路", "滨江路", "新华街")
# Requests by category: {place} the town, {estate}, {village}, {company}, {project}, {road}, {n}, {m}, {year}.
REQUESTS: dict[str, tuple[str, ...]] = {
    "商品房两证办理": (
        "反映{place}{estate}商品房交房{n}年仍未办理不动产权证书，要求开发商尽快协助办证",
        "{estate}业主反映开发商未缴清土地出让金，导致无法办理房产证和土地证，请求政府协调办理两证",
        "购买的{place}{estate}住房至今办不了两证，影响孩子入学和落户，要求限期办证",
        "反映{estate}开发商将已售房屋抵押贷款，业主无法办理产权登记，要求解除抵押后办证",
        "{year}年在{estate}买的房子，开发商一直以规划验收没通过为由拖着不给办证，请政府督促",
        "{estate}{n}栋业主交了契税和维修基金三年多，不动产登记中心说资料不全无法受理，请求帮助",
        "开发商已经跑路，{estate}几百户业主的产权证没人管，希望住建部门牵头解决",
        "请求查处{company}在{estate}项目违规预售、至今不办分户产权证的问题",
    ),
    "复员退伍军人就业": (
        "本人系{year}年退伍军人，反映退伍后一直未安置工作，要求按政策安排就业",
        "复员退伍军人反映{place}未落实退役士兵就业安置政策，要求解决就业和生活困难",
        "反映自己退伍回乡后务工收入不稳定，要求享受退役军人就业优待政策和技能培训",
        "{year}年入伍的退役士兵反映安置岗位与承诺不符，要求重新安排适合的工作岗位",
        "我们几个{year}年的老兵，当年是城镇户口，退伍时说好安排进国营单位，后来单位改制就下岗了，请求落实待遇",
        "退役后在{company}上班被辞退，想参加公益性岗位招聘但被告知不符合条件，请退役军人事务局给个说法",
        "参加过边境作战的退伍老兵，年纪大了没有固定收入，请求政府帮助介绍工作或给予生活补助",
        "退伍大学生士兵反映考公加分政策在{place}没有执行，要求落实",
    ),
    "征地拆迁": (
        "反映{place}{village}征地补偿款未足额发放，要求按标准补足补偿款",
        "反映{project}项目拆迁安置房迟迟未交付，过渡安置费已停发{n}个月，要求尽快交房",
        "反映{village}集体土地被征收后社保未落实，要求办理被征地农民养老保险",
    ),
    "劳动和社会保障": (
        "反映{company}拖欠{n}名工人工资共计{m}万元，要求督促企业支付",
        "反映{company}未为职工缴纳养老保险和医疗保险，要求补缴",
        "反映在{project}工地务工被拖欠劳务费{m}万元，包工头失联，要求帮助讨薪",
    ),
    "城乡建设": (
        "反映{place}{estate}小区雨污管网堵塞，污水外溢，要求尽快疏通改造",
        "反映{road}路灯长期不亮，夜间出行不安全，要求维修",
        "反映{estate}物业公司服务差、乱收费，要求住建部门查处",
    ),
    "农村农业": (
        "反映{place}{village}土地承包经营权确权面积有误，要求重新核实",
        "反映{village}灌溉渠道损毁，影响春耕生产，要求修复",
        "反映{village}耕地地力保护补贴未发放到户，要求核查",
    ),
    "自然资源": (
        "反映{place}{village}宅基地建房申请迟迟未审批，要求尽快办理",
        "反映{village}有人非法占用耕地建房，要求依法查处",
    ),
    "教育": (
        "反映{place}中心小学学位紧张，孩子无法就近入学，要求解决入学问题",
        "反映学校违规收取课后服务费和资料费，要求退还并查处",
    ),
    "卫生健康": (
        "反映{place}卫生院医务人员服务态度差，延误病人治疗，要求调查处理",
        "反映{village}村卫生室长期无人值守，群众看病不便",
    ),
    "交通运输": (
        "反映{place}{village}通村公路路面破损严重，出行困难，要求修复",
        "反映城区至{place}的客运班车减少，群众出行不便，要求恢复班次",
    ),
    "生态环境": (
        "反映{company}夜间排放废气，气味刺鼻，影响周边居民生活，要求查处",
        "反映{place}{village}养殖场污水直排河道，要求整治",
    ),
    "民政": (
        "反映家庭困难申请最低生活保障未获批准，要求重新审核",
        "反映{place}{village}残疾人两项补贴未按时发放，要求核查补发",
    ),
    "市场监管": (
        "反映{place}农贸市场有商户短斤少两，要求查处",
        "反映{company}销售过期食品，要求查处并赔偿",
    ),
    "政法": (
        "反映与邻居的宅基地界址纠纷经{place}调解后仍未解决，要求依法处理",
        "反映被他人殴打受伤，报警后处理结果不公，要求重新处理",
    ),
    "其他": (
        "咨询{place}农村危房改造补助的申请条件和办理程序",
        "对全县城区停车管理提出意见建议",
    ),
}
# What a petitioner adds of their own (each case tells its own circumstances).
CIRCUMSTANCES: tuple[str, ...] = (
    "家里两个孩子上学开支大", "妻子常年生病住院", "本人年过六十身体不好", "已经找过有关单位七八次", "打过市长热线没有下文",
    "邻居们都是同样的情况", "村干部说这事他们管不了", "手里有合同和收据为证", "去年春节前就说解决至今没动静",
    "一家五口挤在出租屋里", "为此还耽误了外出打工", "老母亲八十多岁需要照顾", "听说别的乡镇已经解决了",
    "单位领导换了几任都没有结果", "之前的答复只是口头的", "我们是按政策办事的老实人", "儿子在外地当兵顾不上家里",
    "去年冬天还因此摔伤过腿", "组里十几户都签了名", "镇里开过两次协调会没有落实", "拿不到证贷款也办不下来",
    "网上留言后有人打电话来问过", "怕时间长了证据找不到", "本人文化程度低不会写材料是请人代写的",
)
FACTS: tuple[str, ...] = (
    "本人多次到有关单位反映，均答复研究解决，至今没有结果。",
    "已向村委会和镇政府反映过，对方称不属于其职责范围。",
    "有购房合同、收款收据等材料可以证明，材料复印件随信附上。",
    "涉及群众较多，大家意见很大，希望政府重视。",
    "因此事生活困难，家中老人生病需要用钱。",
    "曾于去年拨打过12345热线，至今没有答复。",
)
# Who answers for a kind of problem (谁主管、谁负责); the place's town answers for local matters too.
UNITS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "商品房两证办理": ("县住房和城乡建设局", "县自然资源局"),
    "复员退伍军人就业": ("县退役军人事务局", "县人力资源和社会保障局"),
    "征地拆迁": ("县自然资源局", "县住房和城乡建设局"),
    "劳动和社会保障": ("县人力资源和社会保障局",),
    "城乡建设": ("县住房和城乡建设局",),
    "农村农业": ("县农业农村局",),
    "自然资源": ("县自然资源局",),
    "教育": ("县教育局",),
    "卫生健康": ("县卫生健康局",),
    "交通运输": ("县交通运输局",),
    "生态环境": ("县应急管理局",),
    "民政": ("县民政局",),
    "市场监管": ("县市场监督管理局",),
    "政法": ("县司法局", "县公安局"),
    "其他": ("县发展和改革局",),
}
# Where the petitioners come back again with the same request, it is told like this.
RETOLD_OPENINGS: tuple[str, ...] = ("再次", "本人曾多次", "去年已经", "多次")
RETOLD_ENDINGS: tuple[str, ...] = ("，至今没有解决", "，问题依然存在，请求领导重视", "，对此前答复不满意")
# Where another authority answers (转送): courts, the prosecutors, the 人大 and the higher levels.
FORWARD_TO: tuple[tuple[str, str], ...] = (
    ("县人民法院", "诉求涉及已进入诉讼程序的民事纠纷，依法应通过诉讼途径解决"),
    ("县人民检察院", "反映的问题属于检察机关法律监督职责范围"),
    ("市住房和城乡建设局", "涉及市级审批的开发项目，由市住建局依法处理"),
    ("县纪委监委", "反映公职人员违纪问题，属纪检监察机关受理范围"),
)
REJECT_REASONS: tuple[str, ...] = (
    "诉求已经人民法院作出生效判决，依法不再作为信访事项受理",
    "所反映事项已通过劳动仲裁程序处理完毕，依法不予受理",
    "诉求无具体事实和理由，经告知后未补充，不予受理",
)


def place_weights() -> list[int]:
    """城关镇 (the county seat) the busiest; the towns next; the townships (乡) least."""
    return [8 if name == "城关镇" else 3 if name.endswith("镇") else 2 for name in TOWNSHIPS]


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    phone: str
    address: str


def id_number_for(rng: random.Random, today: date) -> str:
    """A valid 18-digit ID number (GB 11643) of someone aged 20 to 80."""
    born = today - timedelta(days=rng.randint(20 * 365, 80 * 365))
    first = f"{rng.choice(AREA_CODES)}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return first + id_check_digit(first)


def person(rng: random.Random, today: date, place: str) -> Person:
    """A petitioner: most give their ID number and a mobile; a few only one of them; all an address."""
    name, _pinyin = random_person(rng)
    roll = rng.random()
    id_number = id_number_for(rng, today) if roll < 0.85 else ""
    phone = random_mobile(rng) if roll > 0.05 else ""
    address = f"{place}{rng.choice(VILLAGES + ESTATES)}{rng.randint(1, 30)}号"
    return Person(name, id_number, phone, address)


def category(rng: random.Random) -> str:
    names = [c for c, _w in CATEGORY_WEIGHTS]
    return rng.choices(names, weights=[w for _c, w in CATEGORY_WEIGHTS])[0]


def place_for(rng: random.Random, category_name: str) -> str:
    """The problem's place: 商品房两证 is a matter of the county seat's new estates above all."""
    if category_name == "商品房两证办理" and rng.random() < 0.6:
        return "城关镇"
    return rng.choices(TOWNSHIPS, weights=place_weights())[0]


def request_for(rng: random.Random, category_name: str, place: str, today: date) -> str:
    template = rng.choice(REQUESTS[category_name])
    # Each petitioner adds their own circumstances: two requests of one kind share the kind's words, not the rest.
    told = rng.sample(CIRCUMSTANCES, k=rng.choice((2, 3, 3)))
    template = f"{template}。{'，'.join(told)}"
    return template.format(
        place=place, estate=rng.choice(ESTATES), village=rng.choice(VILLAGES), company=rng.choice(COMPANIES),
        project=rng.choice(PROJECTS), road=rng.choice(ROADS), n=rng.randint(2, 8), m=rng.randint(3, 90),
        year=rng.randint(today.year - 20, today.year - 2),
    )


def facts_for(rng: random.Random) -> str:
    return "".join(rng.sample(FACTS, k=rng.randint(1, 2)))


def retold(rng: random.Random, request: str) -> str:
    """The same request as someone coming back tells it (still judged the same request by the repeat check)."""
    opening = rng.choice(RETOLD_OPENINGS)
    body = request.removeprefix("反映")
    return f"{opening}反映{body}{rng.choice(RETOLD_ENDINGS)}"


def channel(rng: random.Random) -> tuple[str, str]:
    made = rng.choices(CHANNEL_WEIGHTS, weights=[w for _c, _d, w in CHANNEL_WEIGHTS])[0]
    return made[0], made[1]


def monday_on_or_before(day: date) -> date:
    return day - timedelta(days=day.weekday())
