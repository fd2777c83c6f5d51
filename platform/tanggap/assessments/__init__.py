"""The leader's assessment (*penilaian Pimpinan*), the compensation package it fixes, and
the delivery of each item of that package by the officers."""
