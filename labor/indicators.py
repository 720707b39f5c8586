"""Figures of labour cooperation, registered in the shared registry (cooperation.indicators)."""
