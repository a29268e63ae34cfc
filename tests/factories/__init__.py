import factory
from allauth.account.models import EmailAddress

from accounts.models import User
from notifications import services
from notifications.models import EmailKind, OutgoingEmail

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"founder{n}@startup.example")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        """The address is verified unless the test says `verified_email=False`."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)


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


def staff_member(*, programs=(), superuser: bool = False, **fields) -> User:
    """Staff with an authenticator app set up (staff pages require two-factor
    authentication), managing `programs`."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = UserFactory(is_staff=True, is_superuser=superuser, **fields)
    TOTP.activate(user, generate_totp_secret())
    for program in programs:
        program.managers.add(user)
    return user
