"""Adapters to outside systems and libraries the domain must not import, behind the services'
ports: issue trackers (Jira, GitHub, GitLab) and public holidays."""
