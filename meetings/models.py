"""Exploratory meetings, their agenda, materials and invitations."""
