"""Checking stories against social-story, sensory-story and task-analysis guidance."""
