"""The calling member."""

from ninja import Router

from .errors import Error
from .schemas import MeOut

router = Router()


@router.get("", response={200: MeOut, 401: Error}, summary="The calling member")
def me(request):
    return request.user
