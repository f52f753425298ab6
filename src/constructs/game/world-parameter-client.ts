/**
 * `gm-ssm-parameter get|delete <name>`: the world swap's access to its SSM
 * parameter from the game host, whose AMI has no AWS CLI (see
 * world-swap-script.ts for why not install one). Python 3 standard library
 * only: credentials of the instance role from IMDSv2, Signature Version 4,
 * the SSM JSON API. `get` prints the value (nothing when the parameter does
 * not exist); `delete` succeeds when the parameter is gone. Any other
 * failure: one line on stderr, exit 1. Throttling and 5xx are retried.
 *
 * AWS_REGION is required. GM_SSM_ENDPOINT and GM_IMDS_ENDPOINT replace the
 * AWS endpoints (the tests point them at a local server).
 */

export function ssmParameterClientScript(): string {
  return String.raw`#!/usr/bin/env python3
"""Reads or deletes one SSM parameter with the instance role (no AWS CLI on this host)."""
import datetime
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

REGION = os.environ["AWS_REGION"]
IMDS = os.environ.get("GM_IMDS_ENDPOINT", "http://169.254.169.254")
ENDPOINT = os.environ.get("GM_SSM_ENDPOINT", "https://ssm.%s.amazonaws.com" % REGION)
RETRIED = {"ThrottlingException", "InternalServerError", "ServiceUnavailable"}


def imds(path, token=None):
    if token is None:
        request = urllib.request.Request(IMDS + path, method="PUT", headers={"X-aws-ec2-metadata-token-ttl-seconds": "300"})
    else:
        request = urllib.request.Request(IMDS + path, headers={"X-aws-ec2-metadata-token": token})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.read().decode()


def credentials():
    token = imds("/latest/api/token")
    role = imds("/latest/meta-data/iam/security-credentials/", token).split("\n")[0]
    return json.loads(imds("/latest/meta-data/iam/security-credentials/" + role, token))


def hmac_sha256(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def signed_request(target, body):
    creds = credentials()
    payload = json.dumps(body).encode()
    amz_date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    headers = {
        "content-type": "application/x-amz-json-1.1",
        "host": urllib.parse.urlparse(ENDPOINT).netloc,
        "x-amz-date": amz_date,
        "x-amz-security-token": creds["Token"],
        "x-amz-target": "AmazonSSM." + target,
    }
    names = sorted(headers)
    signed_headers = ";".join(names)
    canonical = "\n".join([
        "POST", "/", "",
        "".join("%s:%s\n" % (name, headers[name]) for name in names),
        signed_headers,
        hashlib.sha256(payload).hexdigest(),
    ])
    scope = "%s/%s/ssm/aws4_request" % (day, REGION)
    string_to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + creds["SecretAccessKey"]).encode()
    for part in (day, REGION, "ssm", "aws4_request"):
        key = hmac_sha256(key, part)
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        creds["AccessKeyId"], scope, signed_headers, signature)
    return urllib.request.Request(ENDPOINT + "/", data=payload, headers=headers, method="POST")


def error_code(error):
    try:
        answer = json.loads(error.read().decode() or "{}")
    except ValueError:
        answer = {}
    return str(answer.get("__type", "HTTP %d" % error.code)).split("#")[-1]


def call(target, body):
    """The answer as a dict, or the error code (a string) AWS gave."""
    for attempt in range(4):
        try:
            with urllib.request.urlopen(signed_request(target, body), timeout=10) as response:
                return json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as error:
            code = error_code(error)
            if (code in RETRIED or error.code >= 500) and attempt < 3:
                time.sleep(2 ** attempt)
                continue
            return code
        except OSError:
            if attempt < 3:
                time.sleep(2 ** attempt)
                continue
            raise


def main(action, name):
    if action == "get":
        answer = call("GetParameter", {"Name": name})
        if answer == "ParameterNotFound":
            return 0
        if isinstance(answer, str):
            print("gm-ssm-parameter: GetParameter %s failed: %s" % (name, answer), file=sys.stderr)
            return 1
        print(answer["Parameter"]["Value"])
        return 0
    if action == "delete":
        answer = call("DeleteParameter", {"Name": name})
        if isinstance(answer, str) and answer != "ParameterNotFound":
            print("gm-ssm-parameter: DeleteParameter %s failed: %s" % (name, answer), file=sys.stderr)
            return 1
        return 0
    print("usage: gm-ssm-parameter get|delete <name>", file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(*sys.argv[1:3]) if len(sys.argv) == 3 else main("", ""))
    except OSError as error:
        print("gm-ssm-parameter: %s" % error, file=sys.stderr)
        sys.exit(1)
`;
}
