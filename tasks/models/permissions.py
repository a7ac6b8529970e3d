"""Direct-foreign-key object permission tables for assignments (guardian's performance guide):
assignments grow with the programme, and reports inherit their assignment's grants."""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .assignments import Assignment


class AssignmentUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Assignment, on_delete=models.CASCADE)


class AssignmentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Assignment, on_delete=models.CASCADE)
