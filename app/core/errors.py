"""Domain errors. Each carries a Chinese message that can be shown to a user as it is."""

from __future__ import annotations


class GovDeskError(Exception):
    """Base of every error the program expects and can explain to a user."""

    default_message = "操作失败"

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = message or self.default_message
        # The form field the error belongs to, so the UI can show it beside that field.
        self.field = field
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class ValidationError(GovDeskError):
    default_message = "输入的内容不符合要求，请检查后重试"


class PermissionDenied(GovDeskError):
    default_message = "您没有执行此操作的权限"


class SessionEnded(PermissionDenied):
    """The logged-in user was disabled, locked or given other roles since logging in: the window must
    go back to the login, and nothing is done in their name meanwhile (app.services.kernel.access)."""

    default_message = "您的账户状态或权限已被系统管理员更改，请重新登录"


class ConflictError(GovDeskError):
    default_message = "该记录已被其他人修改，请重新载入后再保存"


class WorkflowError(GovDeskError):
    default_message = "当前环节不允许此操作"


class NotFound(GovDeskError):
    default_message = "找不到该记录，可能已被删除"


class AuthenticationError(GovDeskError):
    default_message = "用户名或密码不正确"


class AccountLocked(AuthenticationError):
    default_message = "账户已被锁定，请稍后再试或联系系统管理员"


class ServerUnavailable(GovDeskError):
    """The database server could not be reached, or dropped the connection, or is shutting down.

    ``kind`` says which (app.db.faults names them: unreachable, refused, shutting_down, timeout …), so a
    window can tell a lost server, which comes back by itself, from a setting that must be changed."""

    default_message = "连不上数据库服务器：请检查网络和服务器是否开机，程序会自动重试"

    def __init__(self, message: str | None = None, *, kind: str = "unreachable") -> None:
        super().__init__(message)
        self.kind = kind


class WorkCancelled(GovDeskError):
    """The user stopped waiting for the database. Nothing was saved (commit refuses once it is set)."""

    default_message = "已取消，本次操作没有保存任何内容"
