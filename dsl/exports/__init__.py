"""What stretch writes for the world outside: calendars (and, later, web pages and watch
workouts), each from a compiled document."""
