"""会议's desktop: the page (calendar and lists), the meeting editor, rooms and the meeting window."""
