"""A static-site timeline of Ukraine's international defence partnerships."""

__version__ = "0.1.0"
