"""The register of permits and notifications: what the office issued (licences and their
appendices, numbering-resource permits with their allocated ranges, notification
acknowledgements, sanitary conclusions), every version of it, and the signed documents."""
