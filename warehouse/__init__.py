"""Warehouse: the private work database, the public schema and the atomic publish of the served file."""
