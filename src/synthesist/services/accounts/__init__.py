"""Accounts, memberships and web sessions."""
