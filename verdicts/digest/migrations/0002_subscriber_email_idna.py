"""Store each subscriber's mail domain IDNA-encoded and lower-case, as signups now do.

An address written with a Unicode domain (`user@bücher.example`) becomes its punycode spelling
(`user@xn--bcher-kva.example`). Where both spellings were signed up, the two rows are merged
into the one already in punycode: it stops mail if either asked to stop (unsubscribed wins),
else is confirmed if either was; the other row's deliveries move to it (except for issues it
already has one for) and the other row is deleted. A domain that cannot be encoded is left as
it is. The reverse is a no-op: the old spelling is not kept.
"""

from django.db import migrations

# The code as it is today: a migration must not change when the app's code does.


def domain_ascii(domain: str) -> str:
    return domain.encode("idna").decode("ascii").lower()


def address_normalized(email: str) -> str:
    local, at, domain = email.rpartition("@")
    if not at:
        return email
    try:
        return f"{local}@{domain_ascii(domain)}"
    except UnicodeError:
        return email


STATUS_RANK = {"unsubscribed": 2, "confirmed": 1, "pending": 0}


def merge(survivor, other, Delivery) -> None:
    if STATUS_RANK.get(other.status, 0) > STATUS_RANK.get(survivor.status, 0):
        for field in ("status", "confirmed_at", "unsubscribed_at", "confirm_nonce"):
            setattr(survivor, field, getattr(other, field))
    survivor.confirmed_at = survivor.confirmed_at or other.confirmed_at
    survivor.created_at = min(survivor.created_at, other.created_at)
    survivor.save()
    taken = set(Delivery.objects.filter(subscriber=survivor).values_list("issue_id", flat=True))
    Delivery.objects.filter(subscriber=other).exclude(issue_id__in=taken).update(
        subscriber=survivor
    )
    other.delete()


def emails_normalize(apps, schema_editor):
    Subscriber = apps.get_model("digest", "Subscriber")
    Delivery = apps.get_model("digest", "Delivery")
    for subscriber in list(Subscriber.objects.order_by("pk")):
        if subscriber.email.isascii():
            continue
        email = address_normalized(subscriber.email)
        if email == subscriber.email or len(email) > 254:
            continue
        survivor = Subscriber.objects.filter(email__iexact=email).first()
        if survivor is None:
            Subscriber.objects.filter(pk=subscriber.pk).update(email=email)
        else:
            merge(survivor, subscriber, Delivery)


class Migration(migrations.Migration):
    dependencies = [
        ("digest", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(emails_normalize, migrations.RunPython.noop),
    ]
