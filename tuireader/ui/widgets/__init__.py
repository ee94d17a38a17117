"""Widgets of the tuireader app, one per module."""
