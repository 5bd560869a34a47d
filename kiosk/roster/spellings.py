"""Header spellings of the MIS exports (SIMS, Arbor, Juniper/Pupil Asset, iSAMS,
ScholarPack, ParentMail, SchoolBooking), normalised: lower-case letters and digits only."""

from __future__ import annotations

PUPIL_ALIASES: dict[str, tuple[str, ...]] = {
    "pupil_id": (
        "adno", "admissionnumber", "admissionno", "admno", "misid", "studentid", "pupilid",
        "pupilno", "pupilnumber", "studentnumber", "schoolid", "personid", "upn", "id",
    ),
    "first_name": (
        "forename", "legalforename", "firstname", "legalfirstname", "givenname", "forenames",
        "studentforename", "pupilforename", "studentfirstname", "pupilfirstname",
        "studentlegalfirstname", "childforename", "childfirstname",
    ),
    "preferred_name": (
        "preferredforename", "preferredfirstname", "preferredname", "knownas", "chosenname",
        "studentpreferredforename", "pupilpreferredforename", "studentpreferredfirstname",
    ),
    "surname": (
        "legalsurname", "surname", "lastname", "familyname", "studentsurname", "pupilsurname",
        "legallastname", "preferredsurname", "studentlastname", "pupillastname",
        "studentlegallastname", "childsurname", "childlastname",
    ),
    "class": (
        "reggroup", "registrationgroup", "registrationform", "regform", "regclass",
        "registrationclass", "classname", "formgroup", "form", "tutorgroup", "reg", "class",
    ),
    "year_group": (
        "yeargroup", "ncyear", "ncyeargroup", "nationalcurriculumyear", "curriculumyear", "year",
        "yr",
    ),
    "consent_event_recording": (
        "photoconsent", "photographstudent", "photographpupil", "photographconsent",
        "photographyconsent", "photopermission", "photographpermission", "eventrecordingconsent",
        "eventrecording", "filmingconsent", "videoconsent", "recordingconsent",
        "photoandvideoconsent", "photographsconsent", "photosconsent", "photographs",
        "consentphotographs", "consentphotography", "consentphotographsandvideo",
        "consentphotographyandfilming", "photographyandfilming", "photographypermission",
        "photographsandvideo", "photography",
    ),
    "consent_list": (
        "parentalconsent", "parentalconsents", "consents", "consenttype", "consenttypes",
    ),
    "consent_website": (
        "websiteconsent", "websitephotoconsent", "photowebsite", "photoconsentwebsite",
        "websitephotos", "photosonwebsite", "website", "consentwebsite",
        "consentphotographswebsite",
    ),
    "consent_social_media": (
        "socialmediaconsent", "socialmediaphotoconsent", "photosocialmedia",
        "photoconsentsocialmedia", "socialmedia", "consentsocialmedia",
        "consentphotographssocialmedia",
    ),
    "consent_press": (
        "pressconsent", "pressphotoconsent", "photopress", "photoconsentpress",
        "newspaperconsent", "mediaconsent", "localpress", "press", "consentpress",
        "consentphotographspress",
    ),
    "consent_expires": (
        "consentexpires", "consentexpiry", "consentexpirydate", "consentvaliduntil",
        "photoconsentexpiry", "photoconsentexpires", "photoconsentexpirydate", "consentenddate",
        "consentreviewdate",
    ),
    "family_id": (
        "familyid", "householdid", "familycode", "familyreference", "householdreference",
        "family", "household",
    ),
}
# Where {n} is the contact number (1 or 2) and {s} one of the suffixes below.
GUARDIAN_TEMPLATES = (
    "contact{n}{s}", "contact{s}{n}", "parent{n}{s}", "parent{s}{n}", "guardian{n}{s}",
    "guardian{s}{n}", "carer{n}{s}", "parentcarer{n}{s}", "priority{n}contact{s}",
    "priority{n}{s}", "contactpriority{n}{s}",
)
GUARDIAN_ORDINALS = {
    1: ("primarycontact{s}", "firstcontact{s}", "primaryguardian{s}", "primarycarer{s}",
        "primaryparent{s}", "maincontact{s}", "contact{s}", "parent{s}", "guardian{s}",
        "carer{s}", "parentcarer{s}", "{s}"),
    2: ("secondarycontact{s}", "secondcontact{s}", "secondaryguardian{s}", "secondarycarer{s}"),
}
GUARDIAN_SUFFIXES: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname"),
    "forename": ("forename", "firstname", "givenname"),
    "surname": ("surname", "lastname", "familyname"),
    "relationship": (
        "relationship", "relation", "relationshiptostudent", "relationshiptopupil",
        "relationshiptochild",
    ),
    "email": ("email", "emailaddress", "mainemail", "primaryemail"),
    "phone": (
        "mobile", "mobilephone", "mobilenumber", "mobiletelephone", "phone", "phonenumber",
        "telephone", "telephonenumber", "tel", "mainphone", "primaryphone", "homephone",
    ),
    "responsibility": ("parentalresponsibility", "hasparentalresponsibility", "pr"),
    "priority": ("priority", "contactpriority", "contactorder"),
    "court_order": ("courtorder", "courtorders", "courtorderinplace"),
}
# Bare "{s}" headers (one-row-per-contact files) only for these unmistakable suffixes: a
# bare "Email" or "Mobile" may be the pupil's own.
BARE_SUFFIXES = frozenset({
    "primaryemail", "mainemail", "mobilenumber", "priority", "contactpriority",
    "parentalresponsibility", "hasparentalresponsibility", "relationship",
    "relationshiptostudent", "relationshiptopupil", "relationshiptochild", "courtorder",
})
# Words that make an unused column worth a loud line in the dry run.
CONTACT_WORDS = ("contact", "parent", "guardian", "carer", "mother", "father", "email",
                 "mobile", "phone", "telephone")
CONSENT_WORDS = ("consent", "permission", "photo", "film", "video", "record", "optin",
                 "optout", "camera", "image", "picture")
# An unused column with one of these and none of OTHER_USES could be event recording.
RECORDING_WORDS = ("photo", "film", "video", "recording", "camera", "image", "picture")
OTHER_USES = ("website", "web", "social", "media", "press", "newspaper", "twitter",
              "facebook", "instagram", "publication", "prospectus", "yearbook", "expir",
              "date", "note")
