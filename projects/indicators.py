"""Figures of funds and industry, registered in the shared registry (cooperation.indicators)."""
