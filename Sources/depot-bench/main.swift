print("depot-bench: not yet")
