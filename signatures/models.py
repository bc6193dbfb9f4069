"""The keys a project trusts for signatures, and the verdicts reached with them."""

from __future__ import annotations

from django.db import models

from projects.models import Project


class KeyKind(models.TextChoices):
    COSIGN = "cosign", "cosign public key"
    NOTATION = "notation", "X.509 CA certificate (Notation; cosign signatures with a certificate)"


class TrustedKey(models.Model):
    """A cosign public key (PEM) or a Notation CA certificate (PEM) of one project.

    `fingerprint` is the SHA-256 of the key's DER form (SubjectPublicKeyInfo for a
    public key, the certificate for a CA); together they make the key-set fingerprint
    that verdicts are cached under, so any change of keys makes every old verdict moot.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="trusted_keys")
    name = models.CharField(max_length=128)
    kind = models.CharField(max_length=16, choices=KeyKind.choices)
    pem = models.TextField()
    fingerprint = models.CharField(max_length=64)
    algorithm = models.CharField(max_length=64, help_text="e.g. ecdsa-p256, ed25519, rsa-3072")
    subject = models.CharField(max_length=1024, blank=True, help_text="the CA certificate's subject")
    trusted_identity = models.CharField(
        max_length=1024,
        blank=True,
        help_text="Notation only: attributes the signing certificate's subject must hold, "
        "e.g. 'O=acme, CN=builder'; empty: any certificate the CA issued",
    )
    description = models.TextField(blank=True)
    creator = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="trusted_key_name_unique_in_project"),
            models.UniqueConstraint(
                fields=["project", "fingerprint"], name="trusted_key_fingerprint_unique_in_project"
            ),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.project.name}/{self.name}"


class Verdict(models.Model):
    """Whether one signature of one artifact verified against one set of keys.

    Signatures, artifacts and blobs are content-addressed, so a verdict stays true for as
    long as the key set it was reached with (`keyset`) is the project's; changing the keys
    deletes the project's verdicts.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="signature_verdicts")
    subject_digest = models.CharField(max_length=200)
    signature_digest = models.CharField(max_length=200)
    keyset = models.CharField(max_length=64)
    verified = models.BooleanField()
    key_name = models.CharField(max_length=128, blank=True)
    reason = models.TextField(blank=True)
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "subject_digest", "signature_digest", "keyset"],
                name="signature_verdict_unique",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.subject_digest} by {self.signature_digest}: {'verified' if self.verified else 'failed'}"
        )
