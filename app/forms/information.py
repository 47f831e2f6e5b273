"""信息调研's form loaders for `govdesk print` and the windows: the 《政务信息》 issue (by id), the notice (by year,
optionally a quarter) and the study rotation (by term id). Each returns the plain data its printing module draws."""

from __future__ import annotations
