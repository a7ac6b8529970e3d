"""Reads for the dashboards and the assignment and period lists.

Every row and every number starts from what the permission policy lets the user see
(`assignment_policy.instances_user_has_permission_for` and
`report_policy.instances_user_has_permission_for`), so what a user may not see does not leak
through a count. Counts are made in SQL: the status is annotated with `status_expression` and
grouped with values().annotate(Count()). Each page is built in a fixed number of queries however
many rows there are.

Only reporting assignments (Assignment.REPORTING_ROLES, not cancelled) count as work. A period
expects a report on each such assignment of its programme that is live (not completed), and
counts one from an assignment completed since only if that report was sent; so "expected" minus
"submitted" minus "accepted" is what is still owed. Drafts and returned reports count as not
submitted, for everyone: the Party Office cannot see drafts, and a count must not tell them apart.
"""
