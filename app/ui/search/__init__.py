"""综合查询: the main window's search box and the window of results across every area (issue 21)."""
