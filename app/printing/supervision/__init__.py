"""督查督办's printed forms: the 督办通知单, the 督办台账 and the periodic 督查通报 with its chart."""
