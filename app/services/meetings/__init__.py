"""会议's use cases, one module per part of the work: records (meetings, rooms), agenda, plan, attendance,
seating and decisions."""
