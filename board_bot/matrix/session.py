"""Log in once, keep the access token and device id, reuse them; never log out."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from nio import AsyncClient, AsyncClientConfig, LoginResponse, WhoamiResponse

from board_bot.core.config import Config
from board_bot.core.files import CREDENTIALS_FILE, CRYPTO_DIR

log = logging.getLogger(__name__)


class LoginFailed(RuntimeError):
    """The bot cannot log in; the message says why and what to do."""


@dataclass(frozen=True)
class Credentials:
    homeserver: str
    user_id: str
    device_id: str
    access_token: str


def _credentials_path(config: Config) -> Path:
    return config.storage.data_dir / CREDENTIALS_FILE


def load_credentials(config: Config) -> Credentials | None:
    path = _credentials_path(config)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        creds = Credentials(**data)
    except FileNotFoundError:
        return None
    except (ValueError, TypeError) as exc:
        raise LoginFailed(f"{path} is damaged ({exc}); delete it to log in again") from exc
    if creds.user_id != config.matrix.user_id or creds.homeserver != config.matrix.homeserver:
        log.warning("stored credentials are for another account or server; logging in anew")
        return None
    return creds


def save_credentials(config: Config, creds: Credentials) -> None:
    """Written with mode 0600: the access token is a secret."""
    path = _credentials_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(creds.__dict__, fh)
    os.replace(tmp, path)
    os.chmod(path, 0o600)


def make_client(config: Config) -> AsyncClient:
    store = config.storage.data_dir / CRYPTO_DIR
    store.mkdir(parents=True, exist_ok=True, mode=0o700)
    client_config = AsyncClientConfig(
        encryption_enabled=config.encryption.enabled,
        pickle_key=config.encryption.pickle_key or "unused-without-encryption",
        store_sync_tokens=False,  # we keep the sync token ourselves, after handling
        max_timeouts=1,  # our sync loop does the backoff; nio must not retry forever
        max_limit_exceeded=0,  # 429s are handled by us, with a bounded wait
        request_timeout=45,
    )
    return AsyncClient(
        config.matrix.homeserver,
        config.matrix.user_id,
        store_path=str(store),
        config=client_config,
    )


async def log_in(client: AsyncClient, config: Config) -> Credentials:
    """Restore the stored login, or use the configured token, or log in with the password."""
    creds = load_credentials(config)
    if creds is None and config.matrix.access_token:
        client.access_token = config.matrix.access_token
        who = await client.whoami()
        if not isinstance(who, WhoamiResponse) or not who.device_id:
            raise LoginFailed(
                f"matrix.access_token was refused by {config.matrix.homeserver}: "
                f"{getattr(who, 'message', who)}"
            )
        if who.user_id != config.matrix.user_id:
            raise LoginFailed(
                f"matrix.access_token belongs to {who.user_id}, not to {config.matrix.user_id}"
            )
        creds = Credentials(
            config.matrix.homeserver, who.user_id, who.device_id, config.matrix.access_token
        )
        save_credentials(config, creds)
    if creds is None:
        if not config.matrix.password:
            raise LoginFailed("no stored login and no matrix.password to log in with")
        response = await client.login(
            password=config.matrix.password, device_name=config.matrix.device_name
        )
        if not isinstance(response, LoginResponse):
            raise LoginFailed(
                f"login as {config.matrix.user_id} at {config.matrix.homeserver} failed: "
                f"{getattr(response, 'message', response)}"
            )
        creds = Credentials(
            config.matrix.homeserver, response.user_id, response.device_id, response.access_token
        )
        save_credentials(config, creds)
        log.info("logged in as %s, device %s", creds.user_id, creds.device_id)
    else:
        client.restore_login(creds.user_id, creds.device_id, creds.access_token)
        log.info("restored login of %s, device %s", creds.user_id, creds.device_id)
    client.load_store()
    return creds
