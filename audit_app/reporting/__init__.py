"""SQL aggregations shared by the theme summary page, its drill-down, key findings and exports.

Everything here is a plain function over db.session: filters in (reporting.filters.Filters),
rows of figures out. Every figure is counted by the database with GROUP BY; no function loops in
Python over judgements or observations.
"""
