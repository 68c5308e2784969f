# Marks the template root for pytest so `textstats` is importable from tests/.
