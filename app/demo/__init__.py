"""Demo data for a trial office: people and units, then each area's records driven through their flows. Not a use case: it calls the services as the office's people would."""
