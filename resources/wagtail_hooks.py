"""Only staff move files between collections, in bulk too (docs/privacy.md, invariant
`only-staff-change-privacy`).

`resources.forms` guards the edit forms; this guards the admin's bulk "Add to collection" action
for documents and images, which moves the selected files without going through those forms.
"""

from django.core.exceptions import PermissionDenied
from wagtail import hooks

from core.access import is_staff


@hooks.register("before_bulk_action")
def only_staff_move_files_in_bulk(request, action_type, objects, action_class_instance):
    if action_type != "add_to_collection" or is_staff(request.user):
        return None
    destination = action_class_instance.cleaned_form.cleaned_data["collection"]
    if any(obj.collection_id != destination.pk for obj in objects):
        raise PermissionDenied
    return None
