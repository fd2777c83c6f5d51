"""The words an office's letters start with, before it edits them: drawn from the decrees'
own wording of each compensation (*Permohonan maaf dari pelaksana layanan*, *Penjelasan dan
klarifikasi dari pemberi layanan terkait masalah yang diadukan*, the souvenir *disediakan dan
diberikan oleh ruang pelayanan yang diadukan*). Letters are documents in their own language,
so these are bilingual data, like a decree's names, not interface strings."""

from __future__ import annotations

from typing import Any

NUMBER_PATTERN = "{seq}/{kind}/{unit}/{roman_month}/{year}"

KINDS: dict[str, dict[str, Any]] = {
    "apology": {
        "code": "PM",
        "subject": {"id": "Permohonan Maaf", "en": "Apology"},
        "body": {
            "id": (
                "Menindaklanjuti pengaduan Saudara/Saudari nomor {complaint_number} tanggal {filed_on} "
                "mengenai {components}, Pimpinan {office_name} telah menilai bahwa pelayanan yang Saudara/Saudari "
                "terima tidak sesuai dengan standar pelayanan yang telah ditetapkan.\n\n"
                "Atas nama pelaksana layanan dan {office_name}, kami menyampaikan permohonan maaf yang "
                "sebesar-besarnya atas ketidaksesuaian pelayanan tersebut. Sesuai dengan Keputusan Kepala "
                "Dinas Nomor {decree_number}, Saudara/Saudari berhak atas kompensasi berikut: {compensation_items}.\n\n"
                "Kami berkomitmen memperbaiki pelayanan agar kejadian serupa tidak terulang. Atas perhatian "
                "dan pengertian Saudara/Saudari, kami ucapkan terima kasih."
            ),
            "en": (
                "Following your complaint number {complaint_number} of {filed_on} about {components}, the "
                "head of the {office_name} has found that the service you received did not meet the published "
                "service standard.\n\n"
                "On behalf of the service officer and of the {office_name}, we sincerely apologise for this. Under "
                "the head of office's decree number {decree_number}, you are entitled to the following "
                "compensation: {compensation_items}.\n\n"
                "We are committed to improving our service so that this does not happen again. Thank you "
                "for your attention and understanding."
            ),
        },
    },
    "clarification": {
        "code": "PK",
        "subject": {"id": "Penjelasan dan Klarifikasi", "en": "Explanation and Clarification"},
        "body": {
            "id": (
                "Menindaklanjuti pengaduan Saudara/Saudari nomor {complaint_number} tanggal {filed_on} "
                "mengenai {components}, dengan ini pemberi layanan pada {office_name} menyampaikan penjelasan "
                "dan klarifikasi terkait masalah yang diadukan.\n\n"
                "{explanation}\n\n"
                "Berdasarkan penilaian Pimpinan, pengaduan Saudara/Saudari dinyatakan terbukti. Sesuai "
                "dengan Keputusan Kepala Dinas Nomor {decree_number}, Saudara/Saudari berhak atas kompensasi "
                "berikut: {compensation_items}.\n\n"
                "Demikian penjelasan dan klarifikasi ini kami sampaikan. Atas perhatian Saudara/Saudari, "
                "kami ucapkan terima kasih."
            ),
            "en": (
                "Following your complaint number {complaint_number} of {filed_on} about {components}, the "
                "service provider at the {office_name} hereby gives its explanation and clarification of the matter "
                "you complained about.\n\n"
                "{explanation}\n\n"
                "The head of office has found your complaint to be justified. Under the head of office's "
                "decree number {decree_number}, you are entitled to the following compensation: {compensation_items}.\n\n"
                "We trust this explains the matter. Thank you for your attention."
            ),
        },
    },
    "receipt": {
        "code": "TT",
        "subject": {"id": "Tanda Terima Kompensasi", "en": "Receipt of Compensation"},
        "body": {
            "id": (
                "Yang bertanda tangan di bawah ini, {citizen}, menyatakan telah menerima dari {office_name} "
                "kompensasi atas pengaduan nomor {complaint_number} tanggal {filed_on}, sesuai dengan "
                "Keputusan Kepala Dinas Nomor {decree_number}, sebagai berikut:"
            ),
            "en": (
                "I, the undersigned, {citizen}, confirm that I have received from the {office_name} the compensation "
                "for complaint number {complaint_number} of {filed_on}, under the head of office's decree "
                "number {decree_number}, as follows:"
            ),
        },
    },
}
