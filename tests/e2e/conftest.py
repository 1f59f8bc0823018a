from tests.e2e.helpers import bot, chair, chair_device  # noqa: F401
from tests.e2e.synapse_fixture import *  # noqa: F403
