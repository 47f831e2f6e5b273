"""报账 (claims): claims and their steps (records), a claim's window (detail), the approval list an
administrator edits (flow), the paged lists (lists), the printed 报销单's facts (printed), reports and
budgets."""
