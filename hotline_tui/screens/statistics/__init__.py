"""The statistics screen: figures, drill-down, exports."""
