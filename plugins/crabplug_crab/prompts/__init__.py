"""Prompt files of the crab plugins (package data)."""
