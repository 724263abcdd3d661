#!/bin/sh
echo flask
