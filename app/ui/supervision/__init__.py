"""督查督办: the supervision area's widgets."""
