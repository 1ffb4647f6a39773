"""Framing Atlas: how do different outlets frame the same story?"""

__version__ = "0.1.0"
