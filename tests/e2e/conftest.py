from tests.e2e.synapse_fixture import *  # noqa: F403
