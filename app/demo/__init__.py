"""Demo data for a trial office. Not a use case: it calls the services as the office's people would.

- office: the county, its units and people;
- flows: what every area's demo shares — plans, routes, the simulated clock and the planner;
- documents (公文) and claims (报账): each area's records and how they are driven;
- generate: puts it together (generate_demo_data).
"""
