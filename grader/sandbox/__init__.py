"""The sandbox: the only place an attempt runs. The parent's side (session), the child's (worker, a
stdlib-only script), the zygote that forks workers into namespaces, and the OS layers. Imports nothing
of grader above it but the record."""
