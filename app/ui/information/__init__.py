"""信息调研's windows: the page, the item window, the issues, the notice, the study sessions and the groups."""
