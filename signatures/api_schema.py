"""How the OpenAPI document describes trusted keys and signature verdicts."""

from __future__ import annotations

from rest_framework import serializers

from .models import KeyKind


class TrustedKeySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project_id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(
        KeyKind.values, help_text="cosign: a public key; notation: a CA certificate"
    )
    algorithm = serializers.CharField(help_text="e.g. ecdsa-p256, ed25519, rsa-3072")
    fingerprint = serializers.CharField(help_text="SHA-256 (hex) of the key's or certificate's DER form")
    subject = serializers.CharField(allow_blank=True, help_text="the CA certificate's subject (notation)")
    trusted_identity = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    pem = serializers.CharField()
    creator = serializers.CharField(allow_blank=True)
    creation_time = serializers.DateTimeField()


class TrustedKeyRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=128)
    kind = serializers.ChoiceField(KeyKind.values)
    pem = serializers.CharField(help_text="a PEM public key (cosign) or one PEM CA certificate (notation)")
    trusted_identity = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="notation only: `attr=value, ...` the signing certificate's subject must hold",
    )
    description = serializers.CharField(required=False, allow_blank=True)


class VerificationSerializer(serializers.Serializer):
    """On signature accessories: the verdict against the project's trusted keys."""

    verified = serializers.BooleanField()
    key = serializers.CharField(allow_blank=True, help_text="the trusted key it verified with")
    reason = serializers.CharField(allow_blank=True)
    checked_at = serializers.DateTimeField()
