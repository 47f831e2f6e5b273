"""GovDesk 政府办公室综合协调系统."""

__version__ = "0.1.0"
APP_NAME = "GovDesk"
APP_TITLE = "政府办公室综合协调系统"
