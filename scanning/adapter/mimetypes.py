"""The MIME types of the pluggable scanner adapter API (harbor.md §4.2)."""

METADATA = "application/vnd.scanner.adapter.metadata+json; version=1.0"
METADATA_V1_1 = "application/vnd.scanner.adapter.metadata+json; version=1.1"
SCAN_REQUEST = "application/vnd.scanner.adapter.scan.request+json; version=1.0"
SCAN_REQUEST_V1_1 = "application/vnd.scanner.adapter.scan.request+json; version=1.1"
SCAN_RESPONSE = "application/vnd.scanner.adapter.scan.response+json; version=1.0"
ERROR = "application/vnd.scanner.adapter.error+json; version=1.0"

NATIVE_REPORT = "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0"
VULNERABILITY_REPORT = "application/vnd.security.vulnerability.report; version=1.1"
RAW_REPORT = "application/vnd.scanner.adapter.vuln.report.raw"
SBOM_REPORT = "application/vnd.security.sbom.report+json; version=1.0"
SPDX_JSON = "application/spdx+json"
CYCLONEDX_JSON = "application/vnd.cyclonedx+json"

# The vulnerability report types Harbor reads, preferred first.
VULN_REPORT_TYPES = (VULNERABILITY_REPORT, NATIVE_REPORT)
ARTIFACT_TYPES = (
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
