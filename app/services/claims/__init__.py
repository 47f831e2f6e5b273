"""报账 (claims): the use cases of claims, their detail, flow editing, lists, printed facts, reports and budgets."""
