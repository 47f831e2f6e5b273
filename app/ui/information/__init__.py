"""信息调研 in the desktop: the page, the item window and their tabs."""
