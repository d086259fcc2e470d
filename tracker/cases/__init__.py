"""Cases: incidents documented by members, reviewed and published by coordinators."""
