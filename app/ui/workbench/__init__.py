"""The 工作台: the landing page."""
