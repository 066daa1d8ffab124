"""Tools for the staff who author rules: test cases, semantic diffs, synthetic students, impact.

Each module is one concept and pure: files come in through the loaders, results go out as
frozen data that the CLI renders. Nothing here changes how an audit judges a student.
"""
