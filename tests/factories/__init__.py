import factory

from accounts.models import User
from applications import services
from applications.models import EmailKind, OutgoingEmail


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"founder{n}@startup.example")
    full_name = factory.Faker("name")
    password = factory.django.Password("correct horse battery staple")


def queue_email(**overrides) -> OutgoingEmail:
    """An outbox row made the way the app makes them: through the service."""
    fields = {
        "kind": EmailKind.GENERIC,
        "to_address": "founder@startup.example",
        "subject": "Your application to the AI Startup Program",
        "body_text": "Thank you for applying.",
        "language": "en",
    } | overrides
    return services.email_queue(**fields)
