"""会议's rules, apart from any database (DOMAIN.md §2): the seating order, the plan's five phases, and when two
bookings of a room clash."""

from app.core.meetings.seating import MAX_SEATS, seat_order

__all__ = ["MAX_SEATS", "seat_order"]
