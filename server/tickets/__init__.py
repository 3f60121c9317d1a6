"""Requests (tickets): the New request form, request history, replies, popups and the inbox."""
